"""Who may do what with contributions (see portal.backoffice.rules): moderators are the
project team everywhere and neighbourhood teams in their own quartiers."""

from ..backoffice.rules import in_own_quartier, is_admin, is_project, is_team

can_list_contributions = is_admin | is_project | is_team  # a team sees its quartiers only
can_record_contribution = is_admin | is_project | is_team  # for someone who phoned or came
can_moderate_contribution = is_admin | is_project | (is_team & in_own_quartier)
