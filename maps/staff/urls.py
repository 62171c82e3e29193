"""URLs of the case officer workspace, mounted at /staff/ (inputbank/urls.py).

/staff/import/ belongs to the GIS exchange's bulk importer (issue 6), not to this file.
"""

from django.urls import path

from maps.staff.views import (
    arguments,
    audit,
    consultation,
    dashboard,
    feedback,
    indicators,
    inputs,
    language,
    meetings,
    merknad,
    moderation,
    prior,
    prior_exports,
    privacy,
    processes,
)

app_name = "staff"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # The officer's own workspace language
    path("language/", language.language_choice, name="language"),
    # Processes
    path("processes/", processes.process_list, name="process_list"),
    path("processes/new/", processes.process_create_view, name="process_create"),
    path("processes/<int:pk>/", processes.process_detail, name="process_detail"),
    path("process-areas.geojson", processes.process_areas_json, name="process_areas"),
    path("processes/<int:pk>/edit/", processes.process_edit, name="process_edit"),
    path("processes/<int:pk>/still-true/", processes.process_still_true, name="still_true"),
    path("processes/<int:pk>/meetings/new/", meetings.meeting_add_view, name="meeting_add"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit_view, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", meetings.meeting_delete_view, name="meeting_delete"),
    path("processes/<int:pk>/merknadsbehandling/", merknad.merknad_table, name="merknad"),
    path("processes/<int:pk>/merknadsbehandling.csv", merknad.merknad_csv, name="merknad_csv"),
    path("processes/<int:pk>/merknadsbehandling.docx", merknad.merknad_docx, name="merknad_docx"),
    # Input
    path("inputs/", inputs.input_list, name="input_list"),
    path("inputs/new/", inputs.input_register_view, name="input_register"),
    path("inputs/respond/", inputs.respond_bulk, name="respond_bulk"),
    path("inputs/<uuid:public_id>/", inputs.input_detail, name="input_detail"),
    path("inputs/<uuid:public_id>/respond/", inputs.input_respond, name="input_respond"),
    path("inputs/<uuid:public_id>/merknad/", inputs.input_merknad, name="input_merknad"),
    path("attachments/<int:pk>/", inputs.attachment_download, name="attachment"),
    # Arguments (standpunkter): the officers' decisions and "answer once"
    path("arguments/", arguments.argument_list, name="argument_list"),
    path("arguments/<int:pk>/", arguments.argument_detail, name="argument_detail"),
    path("arguments/<int:pk>/confirm/", arguments.argument_confirm_view, name="argument_confirm"),
    path("arguments/<int:pk>/rename/", arguments.argument_rename_view, name="argument_rename"),
    path("arguments/<int:pk>/merge/", arguments.argument_merge_view, name="argument_merge"),
    path("arguments/<int:pk>/split/", arguments.argument_split_view, name="argument_split"),
    path(
        "arguments/<int:pk>/move-out/", arguments.argument_move_out_view, name="argument_move_out"
    ),
    path("arguments/<int:pk>/answer/", arguments.argument_answer_view, name="argument_answer"),
    # Moderation
    path("moderation/", moderation.moderation_queue, name="moderation"),
    path("moderation/inputs/<uuid:public_id>/", moderation.moderate_input, name="moderate_input"),
    path("moderation/comments/<int:pk>/", moderation.moderate_comment, name="moderate_comment"),
    # What have we heard here before?
    path("prior-input/", prior.prior_input_report, name="prior_input"),
    path("prior-input/print/", prior.prior_input_print, name="prior_input_print"),
    path("prior-input/report.csv", prior_exports.prior_input_csv, name="prior_input_csv"),
    path("prior-input/report.docx", prior_exports.prior_input_docx, name="prior_input_docx"),
    path("prior-input/report.pdf", prior_exports.prior_input_pdf, name="prior_input_pdf"),
    path("prior-input/report.gpkg", prior_exports.prior_input_gpkg, name="prior_input_gpkg"),
    path("prior-input/map/<str:key>.js", prior.report_map_js, name="report_map_js"),
    # Consultation map, indicators, feedback e-mail
    path("consultation-map/", consultation.consultation_map, name="consultation_map"),
    path("consultation-map/grid.geojson", consultation.consultation_grid_json, name="grid"),
    path("indicators/", indicators.indicators_page, name="indicators"),
    path("indicators.csv", indicators.indicators_csv, name="indicators_csv"),
    path("feedback/", feedback.feedback_list, name="feedback"),
    path("feedback/<uuid:public_id>/retry/", feedback.feedback_retry_view, name="feedback_retry"),
    # The change log of the whole bank (endringslogg)
    path("audit/", audit.audit_log, name="audit"),
    path("audit/log.csv", audit.audit_csv, name="audit_csv"),
    # Access and erasure requests (GDPR art. 15 and 17)
    path("privacy/", privacy.privacy_requests, name="privacy"),
    path("privacy/<int:pk>/export/", privacy.privacy_export, name="privacy_export"),
    path("privacy/<int:pk>/erase/", privacy.privacy_erase, name="privacy_erase"),
]
