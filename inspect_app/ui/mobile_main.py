"""Entry point for packaged Android/iOS builds (``flet build``): the app on its per-app storage."""

import flet as ft

from inspect_app.services.bootstrap import default_data_dir
from inspect_app.ui.app import make_main, prepare_assets

ft.run(make_main(default_data_dir()), assets_dir=str(prepare_assets()))
