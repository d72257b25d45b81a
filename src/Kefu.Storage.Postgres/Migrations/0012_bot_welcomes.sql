-- The bot's welcome per language (a JSON object: language tag -> text); the FAQ's per-site revisions live in
-- bot_revisions under the scope 'faq:<siteId>', created by the first change of the site's entries.

ALTER TABLE bot_settings ADD COLUMN welcomes text;
