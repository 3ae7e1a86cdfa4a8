"""Rows flashsale adds to the shells' navigation (read by ``regionmall.web.nav``)."""

NAV_SECTIONS: list[dict] = []
