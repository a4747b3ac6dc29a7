"""Who may do what with concertations (see portal.backoffice.rules)."""

from ..backoffice.rules import in_own_quartier, is_admin, is_project, is_team

# The project team builds campaigns and their questionnaires, and decides what is published.
can_edit_campaign = is_admin | is_project
can_moderate_answers = is_admin | is_project
# Neighbourhood teams enter paper / phone / Maison Mobile answers and read the results and
# exports of the campaigns of their own quartiers.
can_enter_answers = is_admin | is_project | (is_team & in_own_quartier)
can_read_results = is_admin | is_project | (is_team & in_own_quartier)
