"""Who may read the bilans (see portal.backoffice.rules): the project lead and admins for
every quartier, neighbourhood teams for their own quartiers (the page filters)."""

from ..backoffice.rules import is_admin, is_project, is_team

can_read_reports = is_admin | is_project | is_team
