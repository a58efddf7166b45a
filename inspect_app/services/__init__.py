"""Application services: the device's use cases (walk an inspection, act on a hazard) over the
local store and the domain core. View-models, the sync client and the CLI call these; they never
touch Flet."""
