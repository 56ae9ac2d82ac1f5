from django.urls import path

from amends.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.start, name="start"),
    path("new/", views.raise_problem, name="new"),
    path("new/done/", views.raised, name="raised"),
    path("sign-in/<str:token>/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("sign-in/", views.password_sign_in, name="password_sign_in"),
    path("password/", views.choose_password, name="choose_password"),
    path("cases/", views.cases, name="cases"),
    path("cases/<str:reference>/", views.case_page, name="case"),
    path("cases/<str:reference>/reply/", views.reply, name="reply"),
    path("cases/<str:reference>/evidence/", views.add_evidence, name="evidence"),
    path("cases/<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("cases/<str:reference>/documents/<int:document_id>/", views.document, name="document"),
]
