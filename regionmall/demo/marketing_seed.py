"""The demo region's marketing and flash sales, through the marketing and flash-sale
services (so the demo obeys the same rules as a merchant or an operator would):

- a festival campaign for the next festival of the lunar calendar (``campaigns.TEMPLATES``),
  published, with a platform spend-and-save promotion (满300减30) running from now to its
  end, a platform coupon in the coupon centre and a redeem code, and products that shops
  signed up (approved by the operator; one still waiting for review);
- three shops with their own offers: the demo redwood shop (满减 tiers and a coupon), a tea
  shop (满减 tiers, buy 2 get 1 on one tea, a coupon) and a fruit shop (free shipping from
  ¥99, 12 % off one product, a no-minimum coupon);
- one group buy (拼团) on a fruit box, with a group opened and joined by demo shoppers who
  paid, so it waits for one more member;
- two flash sales (秒杀): one running from now for three days (preheated; the embedded mode
  only marks it) and one tomorrow at 10:00, both approved by the operator, units held;
- demo shoppers holding claimed coupons, the shopper's cart reaching the tea shop's tier and
  the platform's, and member levels scored from the year of orders.

Deterministic: shops and products are chosen by their order (ids follow the catalogue plan),
shoppers by a seeded ``random.Random``; only the times follow the clock of the seed. Call
:func:`seed_marketing` after the trade seed (it needs stock, buyers and addresses); it does
nothing when a festival campaign exists already.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from regionmall.catalog.lookups import product_sku_ids, sku_snapshots
from regionmall.catalog.selectors import products_of_merchant
from regionmall.demo import payments_seed
from regionmall.flashsale.services import events as flash_events
from regionmall.flashsale.services import redis_state
from regionmall.inventory.selectors import available
from regionmall.marketing.services import campaigns, coupons, groupbuy, members, promotions
from regionmall.merchants.selectors import merchants_for_review
from regionmall.trade import selectors as trade_selectors
from regionmall.trade.services import cart as cart_services
from regionmall.trade.services import orders

SEED = 20261130
FEATURED = "lu-redwood"
SHOPPERS_WITH_COUPONS = 6
GROUP_HOURS = 72  # a group has three days to fill (the running flash sale lasts as long)

# Each festival's campaign here: its name, tagline (the region's goods), the word of its
# redeem code and the season's word in the shops' offers.
FESTIVAL_WORDS = {   # (the generated banner fits a name of 7 and a tagline of 18 characters)
    "spring": ("{year} 金华年货节", "东阳红木、高山好茶、浦江鲜果过大年", "NIANHUO", "新春"),
    "dragon_boat": ("{year} 端午好物节", "磐安高山茶、浦江桃形李，端午安康", "DUANWU", "端午"),
    "mid_autumn": ("{year} 中秋团圆季", "红美人、巨峰葡萄与好茶，月圆人团圆", "ZHONGQIU",
                   "中秋"),
    "harvest": ("{year} 金华丰收节", "武义有机茶、浦江葡萄，丰收直达", "FENGSHOU", "丰收"),
}


@dataclass
class MarketingSeedReport:
    created: bool
    campaign: str = ""
    festival_day: date | None = None
    promotions: int = 0
    coupon_kinds: int = 0
    claimed: int = 0
    redeem_code: str = ""
    group: str = ""
    flash_sales: int = 0
    members_scored: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.created:
            return "demo marketing: already present, left as it is"
        return (f"demo marketing: campaign {self.campaign} (festival day {self.festival_day}), "
                f"{self.promotions} promotions, {self.coupon_kinds} coupon kinds "
                f"(redeem code {self.redeem_code}), {self.claimed} coupons claimed, "
                f"group buy {self.group}, {self.flash_sales} flash sales, "
                f"{self.members_scored} members scored in {self.seconds:.1f}s")


@dataclass
class Shop:
    merchant: object
    owner: object
    products: list = field(default_factory=list)  # on-sale products, in id order

    @property
    def name(self) -> str:
        return self.merchant.company_name


@transaction.atomic
def seed_marketing(report: object | None = None, *, seed: int = SEED) -> MarketingSeedReport:
    """Load the demo's offers (after the trade seed). A no-op when a campaign exists.

    When the region seed passes its ``SeedReport``, the result is attached as
    ``report.marketing``.
    """
    started = time.perf_counter()
    if campaigns.all_campaigns().exists():
        result = MarketingSeedReport(created=False)
    else:
        result = _load(seed)
        result.seconds = time.perf_counter() - started
    if report is not None:
        report.marketing = result
    return result


# --- choosing ---------------------------------------------------------------------------------


def next_festival(today: date) -> tuple[str, int, campaigns.Dates]:
    """The festival whose campaign is the next to end from ``today`` while sign-up is still
    open: (code, year, dates). Pure (the lunar calendar only)."""
    options = []
    for code in campaigns.TEMPLATES:
        for year in (today.year, today.year + 1):
            dates = campaigns.festival_dates(code, year)
            if dates.signup_ends_on >= today:
                options.append((dates.festival_day, code, year, dates))
    _day, code, year, dates = min(options)
    return code, year, dates


def _shops() -> dict[str, list[Shop]]:
    """Approved belt shops with something on sale, by belt, in id order."""
    out: dict[str, list[Shop]] = {}
    for merchant in sorted(merchants_for_review(state="approved"), key=lambda m: m.pk):
        if merchant.belt is None:
            continue
        products = list(products_of_merchant(merchant, state="on_sale").order_by("id"))
        if products:
            out.setdefault(merchant.belt.slug, []).append(
                Shop(merchant, merchant.applicant, products))
    return out


def _skus(product) -> list:
    """The product's sellable SKUs with stock, cheapest first."""
    ids = product_sku_ids(product.pk)
    snaps, free = sku_snapshots(ids), available(ids)
    rows = [s for s in snaps.values() if s.sellable and free.get(s.sku_id, 0) > 0]
    return sorted(rows, key=lambda s: (s.price_fen, s.sku_id))


def _deal(price_fen: int, share: float) -> int:
    """A shop's round deal price: ``share`` of the price, whole yuan less 10 fen (¥41.90)."""
    fen = int(price_fen * share) // 100 * 100 - 10
    return min(max(fen, 90), price_fen - 10)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _code(word: str, year: int) -> str:
    return f"{word}{year}"


# --- loading it -------------------------------------------------------------------------------


def _load(seed: int) -> MarketingSeedReport:
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not security
    users = get_user_model().objects
    operator = users.get(username="operator")
    shopper = users.get(username="shopper")
    now = timezone.now()
    belts = _shops()
    featured = next(s for s in belts["dongyang-furniture"] if s.merchant.slug == FEATURED)
    tea, fruit = belts["wuyi-tea"], belts["pujiang-fruit"]

    code, year, dates = next_festival(timezone.localdate(now))
    title, tagline, word, season = FESTIVAL_WORDS[code]
    ends = _local_midnight(dates.ends_on + timedelta(days=1))
    report = MarketingSeedReport(created=True, festival_day=dates.festival_day)

    # The platform: a spend-and-save offer from now to the festival's end, and coupons.
    platform_offer = promotions.create_promotion(operator, {
        "name": f"{title.format(year=year)} 跨店满减", "kind": "tiered",
        "scope": "all", "tiers": [[30_000, 3_000]], "starts_at": now, "ends_at": ends,
        "budget_fen": 5_000_000}, platform=True, now=now)
    platform_coupons = coupons.create_campaign(operator, {
        "name": f"{title.format(year=year)} 平台红包",
        "description": "全平台店铺通用，下单时自动选用最优惠的券。",
        "claim_starts_at": now, "claim_ends_at": ends,
    }, platform=True, templates=[
        {"kind": "amount", "threshold_fen": 50_000, "amount_off_fen": 5_000,
         "valid_from": now, "valid_until": ends, "total_quantity": 2_000,
         "per_user_limit": 1},
        {"kind": "amount", "threshold_fen": 20_000, "amount_off_fen": 1_500, "valid_days": 30,
         "total_quantity": 500, "per_user_limit": 1, "public": False,
         "redeem_code": _code(word, year)},
    ], now=now)
    report.redeem_code = _code(word, year)

    # The shops' offers run through the festival too (a fortnight at least).
    shop_offers = _shop_offers(featured, tea[0], fruit[0], season, now=now,
                               until=max(ends, now + timedelta(days=14)))
    report.promotions = 1 + len(shop_offers.promotions)
    report.coupon_kinds = 2 + len(shop_offers.templates)

    campaign = campaigns.create_campaign(operator, code, year,
                                         promotion_ids=[platform_offer.pk], publish=True)
    campaign = campaigns.update_campaign(operator, campaign, {
        "name": title.format(year=year), "tagline": tagline})
    report.campaign = campaign.name
    entrants = [featured, tea[0], fruit[0], fruit[1]]
    for shop in entrants:
        entry = campaigns.sign_up(shop.owner, campaign, shop.products[0].pk,
                                  f"{shop.name}参加{campaign.name}")
        campaigns.decide(operator, entry.pk, True)
    waiting = tea[1]  # one sign-up still waits for the operator's review
    campaigns.sign_up(waiting.owner, campaign, waiting.products[0].pk, "新茶礼盒，申请参加专场")

    extra = list(users.filter(username__startswith="m136").order_by("username"))
    report.claimed = _claims(rng, shopper, extra, platform_coupons, shop_offers, now)
    report.group = _group_buy(rng, fruit[1], extra, now)
    flash = _flash_sales(operator, tea[1], fruit[2] if len(fruit) > 2 else fruit[0])
    report.flash_sales = len(flash)
    _cart(shopper, tea[0], shop_offers.excluded)
    report.members_scored = members.score_members(now=timezone.now())
    # The running sale starts a moment after it was proposed (a proposal must start in the
    # future): the seed ends once it has, so the demo opens on a running sale.
    wait = (flash[0].starts_at - timezone.now()).total_seconds()
    if wait > 0:
        time.sleep(wait)
    return report


@dataclass
class ShopOffers:
    promotions: list = field(default_factory=list)
    templates: dict = field(default_factory=dict)  # merchant pk -> public coupon template
    excluded: set = field(default_factory=set)     # products under buy-N-get-M


def _shop_offers(featured: Shop, tea: Shop, fruit: Shop, season: str, *, now: datetime,
                 until: datetime) -> ShopOffers:
    out = ShopOffers()

    def offer(shop: Shop, data: dict) -> None:
        out.promotions.append(promotions.create_promotion(
            shop.owner, {"starts_at": now, "ends_at": until, **data}, now=now))

    def coupon(shop: Shop, name: str, description: str, template: dict) -> None:
        made = coupons.create_campaign(shop.owner, {
            "name": name, "description": description, "claim_starts_at": now,
            "claim_ends_at": until}, templates=[
            {"kind": "amount", "total_quantity": 300, "per_user_limit": 1, **template}],
            now=now)
        out.templates[shop.merchant.pk] = made.templates.order_by("id").first()

    # The redwood shop: big-ticket tiers and a welcome coupon.
    offer(featured, {"name": f"卢宅红木 {season}家具季满减", "kind": "tiered", "scope": "all",
                     "tiers": [[500_000, 30_000], [1_000_000, 80_000]]})
    coupon(featured, "卢宅红木 进店礼券", "满3000元可用，送货上门安装。",
           {"threshold_fen": 300_000, "amount_off_fen": 20_000, "valid_days": 30})
    # The tea shop: tiers on the whole shop, buy 2 get 1 on its last tea, a coupon.
    offer(tea, {"name": f"{tea.name} {season}茶礼满减", "kind": "tiered", "scope": "all",
                "tiers": [[19_900, 2_000], [39_900, 5_000]]})
    gift = tea.products[-1]
    offer(tea, {"name": f"{gift.name} 买二送一", "kind": "buy_n_get_m", "scope": "product",
                "target_ids": [gift.pk], "buy_n": 2, "get_m": 1, "budget_fen": 500_000})
    out.excluded.add(gift.pk)
    coupon(tea, f"{tea.name} 品鉴券", "全店茶叶满200元可用。",
           {"threshold_fen": 20_000, "amount_off_fen": 2_000, "valid_days": 15})
    # The fruit shop: free shipping from ¥99, 12 % off one box, a no-minimum coupon.
    offer(fruit, {"name": f"{fruit.name} 满99包邮", "kind": "free_shipping", "scope": "all",
                  "min_spend_fen": 9_900})
    fresh = fruit.products[-1]
    offer(fruit, {"name": f"{fresh.name} 尝鲜88折", "kind": "percent", "scope": "product",
                  "target_ids": [fresh.pk], "percent_off": 12})
    coupon(fruit, f"{fruit.name} 鲜果无门槛券", "新鲜水果产地直发，无门槛立减5元。",
           {"threshold_fen": 0, "amount_off_fen": 500, "valid_days": 7,
            "total_quantity": 1_000})
    return out


def _claims(rng: random.Random, shopper, extra: list, platform_coupons, shop_offers: ShopOffers,
            now: datetime) -> int:
    """The shopper holds the platform coupon and two shop coupons; a few more demo shoppers
    hold theirs; one of them redeemed the festival's code."""
    platform_public = platform_coupons.templates.filter(public=True).order_by("id").first()
    code = platform_coupons.templates.filter(public=False).order_by("id").first().redeem_code
    shop_templates = list(shop_offers.templates.values())
    claimed = 0
    for template in [platform_public, *shop_templates[:2]]:
        coupons.claim(shopper, template.pk, now=now)
        claimed += 1
    chosen = rng.sample(extra, min(SHOPPERS_WITH_COUPONS, len(extra)))
    for n, user in enumerate(chosen):
        coupons.claim(user, platform_public.pk, now=now)
        coupons.claim(user, rng.choice(shop_templates).pk, now=now)
        claimed += 2
        if n == 0:
            coupons.redeem_code(user, code, now=now)
            claimed += 1
    return claimed


def _group_buy(rng: random.Random, shop: Shop, extra: list, now: datetime) -> str:
    """A 3-person group buy on the shop's first fruit box; a group opened by one demo
    shopper and joined by another, both paid: one more member forms it."""
    product = shop.products[0]
    skus = _skus(product)
    offer = groupbuy.create_offer(shop.owner, {
        "product_id": product.pk, "group_size": 3, "time_limit_minutes": GROUP_HOURS * 60,
        "leader_discount_fen": 500, "max_per_member": 2, "starts_at": now,
        "ends_at": now + timedelta(days=14),
        "prices": {s.sku_id: _deal(s.price_fen, 0.85) for s in skus}})
    leader, joiner = rng.sample(extra, 2)
    sku = skus[0].sku_id
    checkout, group = groupbuy.open_group(
        leader, offer.pk, sku_id=sku, quantity=1, address_id=_address(leader),
        idempotency_key="demo-group-leader", note="拼团尝鲜")
    _pay(leader, checkout)
    checkout, group = groupbuy.join_group(
        joiner, group.number, sku_id=sku, quantity=1, address_id=_address(joiner),
        idempotency_key="demo-group-member")
    _pay(joiner, checkout)
    return group.number


def _address(user) -> int:
    return trade_selectors.addresses_of(user).order_by("id").first().pk


def _pay(buyer, checkout) -> None:
    checkout.refresh_from_db()
    at = timezone.now()
    if payments_seed.enabled():
        payments_seed.pay(buyer, checkout.number, at)
    else:
        orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="wechat",
                            paid_at=at)


def _flash_sales(operator, running: Shop, upcoming: Shop) -> list:
    """A tea running from now for three days, a fruit box tomorrow 10:00-22:00; the shops
    propose, the operator approves (units held), the running one is preheated."""
    made = []
    tomorrow = timezone.localdate() + timedelta(days=1)
    ten = _local_midnight(tomorrow) + timedelta(hours=10)
    for shop, share, quantity, limit, window in (
            (running, 0.6, 60, 2, None), (upcoming, 0.5, 100, 1, (ten, ten + timedelta(hours=12)))):
        sku = next(s for p in shop.products for s in _skus(p)
                   if available([s.sku_id]).get(s.sku_id, 0) >= quantity)
        if window is None:
            starts = timezone.now() + timedelta(seconds=1)
            window = (starts, starts + timedelta(days=3))
        event = flash_events.create_event(shop.owner, {
            "sku_id": sku.sku_id, "sale_price_fen": _deal(sku.price_fen, share),
            "quantity": quantity, "starts_at": window[0], "ends_at": window[1],
            "per_user_limit": limit, "user_rps": 5, "audience": "everyone",
            "pay_minutes": 15})
        event = flash_events.approve(operator, event.pk)
        made.append(event)
    redis_state.preheat(made[0].pk)
    made[0].refresh_from_db()
    return made


def _cart(shopper, tea: Shop, excluded: set) -> None:
    """The shopper's cart: the tea shop's cheapest teas up to ¥400, which reaches the
    shop's top tier (满399减50) and, after it, the platform's (满300减30)."""
    owner = cart_services.owner_of(shopper)
    total = 0
    for product in tea.products:
        if product.pk in excluded or total >= 40_000:
            continue
        skus = _skus(product)
        if skus:
            cart_services.add_item(owner, skus[0].sku_id, 1)
            total += skus[0].price_fen
    while total < 40_000:  # a small shop: more of its first tea
        first = _skus(next(p for p in tea.products if p.pk not in excluded))[0]
        cart_services.add_item(owner, first.sku_id, 1)
        total += first.price_fen
