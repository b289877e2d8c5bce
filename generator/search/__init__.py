"""Search: one analyzer for the build, the browser and the command line."""
