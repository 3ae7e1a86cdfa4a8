"""Merchant pages, included by the project at the root."""

from django.urls import path

from regionmall.merchants import views

app_name = "merchants"

urlpatterns = [
    # The applicant.
    path("merchant/apply/", views.onboarding, name="onboarding"),
    path("merchant/apply/edit/", views.apply_edit, name="apply_edit"),
    path("merchant/apply/qualifications/", views.apply_qualification,
         name="apply_qualification"),
    path("merchant/apply/qualifications/<int:pk>/file/", views.qualification_file,
         name="qualification_file"),
    path("merchant/apply/submit/", views.apply_submit, name="apply_submit"),
    # Platform operators.
    path("platform/merchants/", views.review_list, name="review_list"),
    path("platform/merchants/<int:pk>/", views.review_detail, name="review_detail"),
    *[
        path(f"platform/merchants/<int:pk>/{action}/", views.review_action,
             {"action": action}, name=f"review_{action}")
        for action in ("approve", "reject", "suspend", "reinstate")
    ],
    path("platform/merchants/<int:pk>/qualifications/<int:qualification_id>/verify/",
         views.review_verify, name="review_verify"),
    # Everyone.
    path("shops/<slug:slug>/", views.shop, name="shop"),
]
