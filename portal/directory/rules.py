"""Who may do what with the service directory (see portal.backoffice.rules)."""

from ..backoffice.rules import is_admin, is_project

can_edit_directory = is_admin | is_project
