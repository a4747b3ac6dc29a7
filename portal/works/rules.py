"""Who may do what with works sites (see portal.backoffice.rules)."""

from ..backoffice.rules import in_own_quartier, is_admin, is_project, is_team

can_list_sites = is_admin | is_project | is_team  # a team sees its own quartiers only
can_edit_site = is_admin | is_project
can_add_update = is_admin | is_project | (is_team & in_own_quartier)
