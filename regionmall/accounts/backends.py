from django.contrib.auth.backends import ModelBackend


class MobileOrUsernameBackend(ModelBackend):
    pass


class SmsCodeBackend(ModelBackend):
    pass
