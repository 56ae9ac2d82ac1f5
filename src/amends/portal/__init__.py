"""The customer portal: magic-link sign-in, raising a problem, following and replying to it."""
