from __future__ import annotations

from django.urls import path

from amends.cases.views import actions, intake, page, queues
from amends.resolution import problem_views
from amends.resolution import views as rca_views

app_name = "cases"

urlpatterns = [
    path("", queues.queue, name="queue"),
    path("filters/", queues.save_filter, name="save_filter"),
    path("filters/<int:filter_id>/delete/", queues.delete_filter, name="delete_filter"),
    path("new/", intake.new_case, name="new"),
    path("<str:reference>/", page.case_page, name="detail"),
    path("<str:reference>/transitions/<str:to>/", actions.transition, name="transition"),
    path("<str:reference>/assign/", actions.assign, name="assign"),
    path("<str:reference>/details/", actions.edit_details, name="details"),
    path("<str:reference>/stakeholders/", actions.add_stakeholder, name="add_stakeholder"),
    path(
        "<str:reference>/stakeholders/<int:stakeholder_id>/remove/",
        actions.remove_stakeholder,
        name="remove_stakeholder",
    ),
    path("<str:reference>/links/", actions.add_link, name="add_link"),
    path("<str:reference>/messages/", actions.add_message, name="add_message"),
    path("<str:reference>/notes/", actions.add_note, name="add_note"),
    path("<str:reference>/attachments/", actions.add_attachment, name="add_attachment"),
    path(
        "<str:reference>/attachments/<int:attachment_id>/",
        page.download_attachment,
        name="attachment",
    ),
    path("<str:reference>/follow-ups/", actions.record_follow_up, name="follow_up"),
    path("<str:reference>/whys/", rca_views.add_why, name="add_why"),
    path("<str:reference>/tasks/", rca_views.add_task, name="add_task"),
    path("<str:reference>/options/", rca_views.add_option, name="add_option"),
    path("<str:reference>/problems/", problem_views.link_from_case, name="link_problem"),
    path("<str:reference>/summary/", rca_views.closure_summary, name="summary"),
    path("<str:reference>/redress/", rca_views.propose_redress, name="propose_redress"),
    path(
        "<str:reference>/redress/<int:redress_id>/<str:action>/",
        rca_views.redress_action,
        name="redress_action",
    ),
    path(
        "<str:reference>/options/<int:option_id>/choose/",
        rca_views.choose_option,
        name="choose_option",
    ),
    path("<str:reference>/tasks/<int:task_id>/done/", rca_views.complete_task, name="task_done"),
    path("<str:reference>/causes/", rca_views.add_cause, name="add_cause"),
    path("<str:reference>/causes/<int:cause_id>/root/", rca_views.mark_root, name="mark_root"),
]
