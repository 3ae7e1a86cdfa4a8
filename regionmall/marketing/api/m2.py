"""Helper M2's API parts (member levels, rebates, festival campaigns, private traffic),
gathered into one router that ``marketing.api`` mounts."""

from ninja import Router

from regionmall.marketing.api import campaigns, members, rebates, traffic

router = Router()
for _module in (members, rebates, campaigns, traffic):
    router.add_router("", _module.router)
