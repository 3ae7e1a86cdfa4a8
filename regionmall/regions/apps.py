from django.apps import AppConfig


class RegionsConfig(AppConfig):
    """The region this deployment serves: administrative divisions and industry belts.

    Reference data every centre reads (a merchant's district, a delivery address, a
    dashboard by township). It sits below the centres and above ``core``.
    """

    name = "regionmall.regions"
    label = "regions"
    verbose_name = "Regions"
