-- Whether a sign-in client offers "just call" (identify mode, which holds a number exclusively for a while);
-- every client registered before this version keeps offering it.
ALTER TABLE signin_clients ADD COLUMN just_call boolean NOT NULL DEFAULT true;
