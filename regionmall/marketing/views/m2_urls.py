"""Page URLs of member levels, distributor rebates, festival campaigns and private traffic
(helper M2's parts), gathered for ``marketing.urls``."""

from regionmall.marketing.views import campaigns, members, rebates, traffic

urlpatterns = [
    *members.urlpatterns, *rebates.urlpatterns, *campaigns.urlpatterns, *traffic.urlpatterns,
]
