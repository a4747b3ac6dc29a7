"""Who may do what with Maison Mobile visits (see portal.backoffice.rules)."""

from ..backoffice.rules import in_own_quartier, is_admin, is_project, is_team

can_list_visits = is_admin | is_project | is_team  # a team sees its own quartiers only
can_edit_visit = is_admin | is_project
can_cancel_visit = is_admin | is_project | (is_team & in_own_quartier)
can_record_visit = is_admin | is_project | (is_team & in_own_quartier)  # people received
