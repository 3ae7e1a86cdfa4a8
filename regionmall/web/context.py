"""Template context shared by every page shell."""

from django.conf import settings


def shell(request):
    return {"platform_name": settings.REGIONMALL["PLATFORM_NAME"]}
