"""The site's pages. They live in `rules` because every case page shows the engine, and
`rules` may import `cases` (never the reverse). Views stay thin: forms validate through
cases.profile, writes go through services, reads through selectors."""
