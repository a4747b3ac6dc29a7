"""Who may do what with rendez-vous (see portal.backoffice.rules)."""

from ..backoffice.rules import in_own_quartier, is_admin, is_project, is_team

can_list_events = is_admin | is_project | is_team  # a team sees its own quartiers only
can_create_event = is_admin | is_project | is_team  # a team's event waits for validation
can_edit_event = is_admin | is_project | (is_team & in_own_quartier)
can_validate_event = is_admin | is_project
# Registrants are personal data: admin, project and the teams of the event's quartier.
can_see_registrants = is_admin | is_project | (is_team & in_own_quartier)
