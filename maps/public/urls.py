"""Public pages. English paths; the words people read on them are translated."""

from django.urls import path

from maps.public import views
from maps.public.views import alerts, evaluation, my_data

app_name = "maps"

urlpatterns = [
    path("", views.home, name="home"),
    path("give/", views.give, name="give"),
    path("give/photo/", views.photo_attach, name="photo_attach"),
    path("inputs/", views.input_list, name="input_list"),
    path("inputs/<uuid:public_id>/", views.input_detail, name="input_detail"),
    # The short reference from the receipt ("MOSS-2026-0142"): Norwegian, as it is printed in
    # letters and read aloud on the phone.
    path("innspill/<str:reference>/", views.input_status, name="input_status"),
    path("inputs/<uuid:public_id>/photos/<int:pk>/", views.photo_show, name="photo_show"),
    path("processes/", views.process_list, name="process_list"),
    path("processes/<slug:slug>/", views.process_detail, name="process_detail"),
    path("processes/<slug:slug>/embed/", views.process_embed, name="process_embed"),
    path("processes/<slug:slug>/map.js", views.process_map_js, name="process_map_js"),
    path("search/", views.search_page, name="search"),
    path("search/places.json", views.search_places, name="search_places"),
    path("search/nearest.json", views.nearest_places, name="nearest_places"),
    # Area alerts (no account): follow an area by e-mail; the links in the e-mails.
    path("alerts/", alerts.alerts, name="alerts"),
    path("alerts/confirm/<str:token>/", alerts.alert_confirm_page, name="alert_confirm"),
    path("alerts/stop/<str:token>/", alerts.alert_stop_page, name="alert_stop"),
    # The participants' evaluation of a closed process (a one-use link from the invitation).
    path("evaluation/<str:token>/", evaluation.evaluation, name="evaluation"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/mine/<str:token>/", my_data.privacy_mine, name="privacy_mine"),
    path("privacy/mine/<str:token>/data.json", my_data.privacy_mine_data, name="privacy_mine_data"),
    path("privacy/mine/<str:token>/erase/", my_data.privacy_mine_erase, name="privacy_mine_erase"),
]
