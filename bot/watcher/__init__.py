"""The watcher: the sweep that polls watched jobs, and the policy deciding what to post."""
