"""``fishaudio credits``: the API credit and the package of the key's owner."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ._context import client_for
from ._output import print_json
from ._parser import Commands, add_json_option


def add_command(commands: Commands, parents: Sequence[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "credits",
        parents=parents,
        help="show the API credit and package",
        description="Show the API credit (USD) and the active package of the key's owner.",
    )
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..exceptions import NotFoundError

    with client_for(args) as client:
        credits = client.account.get_credits()
        try:
            package = client.account.get_package()
        except NotFoundError:  # no package bought: the credit alone
            package = None
    if args.json:
        print_json({"credit": str(credits.credit), "package": None if package is None else package.to_dict()})
        return 0
    print(f"credit: USD {credits.credit}")
    if package is None:
        print("package: none")
    else:
        print(f"package: {package.type_}, {package.balance} of {package.total} left")
    return 0
