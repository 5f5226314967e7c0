"""What people experience: menus, answers, crisis replies, privacy commands."""
