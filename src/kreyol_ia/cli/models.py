"""``kreyol model``: install, list, remove and convert neural models (CTranslate2)."""

from __future__ import annotations

from pathlib import Path

import typer

from kreyol_ia.cli.errors import CliError
from kreyol_ia.cli.main import app, console
from kreyol_ia.config import get_settings

model_app = typer.Typer(help="Neural models (CTranslate2).", no_args_is_help=True)
app.add_typer(model_app, name="model")


def _direction(text: str) -> tuple[str, str]:
    """``en-ht`` (or ``en:ht``) → ("en", "ht")."""
    parts = text.replace(":", "-").lower().split("-")
    if len(parts) != 2 or not all(parts):
        raise CliError(f"--direction {text!r}: write it as SOURCE-TARGET, e.g. en-ht")
    return parts[0], parts[1]


@model_app.command("install")
def model_install(
    name: str = typer.Argument(..., help="A known model (kreyol model list --known) or your name."),
    source: Path | None = typer.Option(
        None, "--from", file_okay=False, help="A checkpoint on disk instead of the hub."
    ),
    direction: list[str] = typer.Option(
        [], "--direction", help="For a model outside the list: what it translates (en-ht)."
    ),
    license_name: str | None = typer.Option(
        None, "--license", help="For a model outside the list: its licence."
    ),
    accept_license: bool = typer.Option(
        False, "--accept-license", help="Accept a licence that forbids commercial use."
    ),
    force: bool = typer.Option(False, help="Replace an installed model of this name."),
) -> None:
    """Download (or take --from DIR), convert to CTranslate2 int8, check and register a model."""
    from kreyol_ia.models.install import (
        InstallError,
        check_license,
        install_from_directory,
        spec_for,
    )

    settings = get_settings()
    try:
        spec = spec_for(
            name, directions=[_direction(d) for d in direction], license_name=license_name
        )
        console.print(f"{spec.name}: licence {spec.license}")
        check_license(spec, accept_license)
        if source is None:
            from kreyol_ia.models.hub import download
            from kreyol_ia.models.registry import models_dir

            downloads = models_dir(settings) / ".downloads"
            with download(spec.name, downloads) as (checkpoint, origin):
                installed = install_from_directory(
                    spec, checkpoint, settings, origin=origin, force=force
                )
        else:
            installed = install_from_directory(
                spec, source, settings, origin=str(source.resolve()), force=force
            )
    except InstallError as exc:
        raise CliError(str(exc)) from exc
    manifest = installed.manifest
    served = ", ".join(f"{s}→{t}" for s, t in manifest.directions)
    console.print(
        f"installed {manifest.name} ({manifest.family}, {served}, "
        f"{manifest.size_bytes / 1e6:.1f} MB) in {installed.path}; restart the service to use it"
    )


@model_app.command("list")
def model_list(
    known: bool = typer.Option(False, "--known", help="The models `install NAME` can download."),
) -> None:
    """Installed models, the direction each serves here, licence and size (tab-separated)."""
    from kreyol_ia.models.catalogue import CATALOGUE
    from kreyol_ia.models.registry import installed_models, models_dir, route

    if known:
        typer.echo("name\tdirections\tlicence\tcommercial use\tabout")
        for model in CATALOGUE.values():
            pairs = ",".join(f"{s}-{t}" for s, t in model.directions)
            use = "yes" if model.commercial_use else "no (--accept-license)"
            typer.echo(f"{model.name}\t{pairs}\t{model.license}\t{use}\t{model.approx_mb} MB")
        return
    settings = get_settings()
    models = installed_models(settings)
    if not models:
        typer.echo(f"no model installed in {models_dir(settings)} (kreyol model list --known)")
        return
    routes = route(models, settings.model_preference)
    typer.echo("direction\tmodel\tfamily\tlicence\tsize")
    for (source, target), model in sorted(routes.items()):
        m = model.manifest
        size = f"{m.size_bytes / 1e6:.1f} MB"
        typer.echo(f"{source}→{target}\t{m.name}\t{m.family}\t{m.license}\t{size}")
    idle = [m.manifest.name for m in models if m not in routes.values()]
    if idle:
        typer.echo(f"installed, serving no direction (another is preferred): {', '.join(idle)}")


@model_app.command("remove")
def model_remove(name: str = typer.Argument(..., help="An installed model's name.")) -> None:
    """Delete an installed model; the service stops using it at its next start."""
    from kreyol_ia.models.install import InstallError, remove_model

    try:
        path = remove_model(name, get_settings())
    except InstallError as exc:
        raise CliError(str(exc)) from exc
    console.print(f"removed {path}; restart the service to stop using it")


@model_app.command("convert")
def model_convert(
    hf_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="Hugging Face model."),
    out: Path = typer.Argument(..., help="Output directory for the CTranslate2 model."),
    quantization: str = typer.Option("int8", help="int8, int8_float16, float16 or float32."),
    force: bool = typer.Option(False, help="Overwrite an existing output directory."),
) -> None:
    """Convert M2M100, NLLB-200 or Marian to CTranslate2 (needs the 'convert' extra)."""
    from kreyol_ia.translation.convert import ConversionError, convert_hf_model

    try:
        path = convert_hf_model(hf_dir, out, quantization=quantization, force=force)
    except ConversionError as exc:
        raise CliError(f"conversion failed: {exc}") from exc
    console.print(
        f"model written to {path}; register it with: kreyol model install NAME --from {path}"
    )
