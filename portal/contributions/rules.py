"""Who may do what with contributions (see portal.backoffice.rules): moderators are the
project team everywhere and neighbourhood teams in their own quartiers."""

from ..backoffice.rules import in_own_quartier, is_admin, is_project, is_team

can_list_contributions = is_admin | is_project | is_team  # a team sees its quartiers only
can_record_contribution = is_admin | is_project | is_team  # for someone who phoned or came
can_moderate_contribution = is_admin | is_project | (is_team & in_own_quartier)
# The reasons of "non retenue" are one list for every quartier, in words residents read:
# the project team's to write, like the other texts of the whole site (news, quartier
# pages). Teams choose among them in the moderation forms, which show them.
can_edit_reject_reasons = is_admin | is_project
