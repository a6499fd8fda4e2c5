"""The scenario matrix (scenarios.toml) and the scale factor."""
from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

MATRIX = Path(__file__).with_name("scenarios.toml")


@dataclass(frozen=True)
class Cell:
    name: str
    group_size: int
    deliveries_per_s: float
    duration_s: float
    online: float
    traffic_control: bool
    expect: str
    ticket_max: int
    timeout_ms: int
    senders: int
    processes: int = 1  # Locust worker processes for the members (1: the engine's own process)
    pull_delay_ms: int = 0  # online members send each queue pull this much later (a slow uplink)
    engine: str = "multiplex"  # member engine: "multiplex" (one event loop per process) or "gevent"
    offline_limit: int = 0  # app setting group_offline_limit (0: none): offline queues keep the newest N
    reference_cpu: tuple[float, ...] = ()  # the notes' server CPU % before → after the run, where recorded
    scale: float = 1.0

    @property
    def messages_per_s(self) -> float:
        return self.deliveries_per_s / max(1, self.group_size - 1)

    @property
    def online_members(self) -> int:
        return round((self.group_size - 1) * self.online)

    def as_dict(self) -> dict:
        return {**asdict(self), "messages_per_s": round(self.messages_per_s, 3),
                "online_members": self.online_members}


def load_matrix(path: Path = MATRIX) -> tuple[dict, list[dict]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return data.get("defaults", {}), data.get("cell", [])


def presence_rows(path: Path = MATRIX) -> list[dict]:
    """The `[[presence_cell]]` rows (presence.py makes them cells)."""
    return tomllib.loads(path.read_text(encoding="utf-8")).get("presence_cell", [])


def cells_for(name: str, scale: float = 1.0, path: Path = MATRIX) -> list[Cell]:
    """The cells of scenario `name`, or the one cell called `name`, scaled."""
    defaults, rows = load_matrix(path)
    chosen = [r for r in rows if r["name"] == name or name in r.get("scenarios", ())]
    if not chosen:
        known = sorted({r["name"] for r in rows} | {s for r in rows for s in r.get("scenarios", ())})
        raise KeyError(f"no scenario or cell {name!r}; known: {', '.join(known)}")
    return [scaled(_checked(_cell({**defaults, **row})), scale) for row in chosen]


def _cell(row: dict) -> Cell:
    return Cell(name=row["name"], group_size=int(row["group_size"]), deliveries_per_s=float(row["deliveries_per_s"]),
                duration_s=float(row["duration_s"]), online=float(row["online"]),
                traffic_control=bool(row["traffic_control"]), expect=row.get("expect", "characterize"),
                ticket_max=int(row["ticket_max"]), timeout_ms=int(row["timeout_ms"]),
                senders=int(row.get("senders", 1)), processes=int(row.get("processes", 1)),
                pull_delay_ms=int(row.get("pull_delay_ms", 0)), engine=row.get("engine", "multiplex"),
                offline_limit=int(row.get("offline_limit", 0)),
                reference_cpu=tuple(float(v) for v in row.get("reference_cpu", ())))


def _checked(cell: Cell) -> Cell:
    if cell.engine not in ("multiplex", "gevent"):
        raise ValueError(f"cell {cell.name}: engine {cell.engine!r}; expected multiplex or gevent")
    if cell.reference_cpu and len(cell.reference_cpu) != 2:
        raise ValueError(f"cell {cell.name}: reference_cpu {list(cell.reference_cpu)}; expected [before, after]")
    return cell


def scaled(cell: Cell, scale: float) -> Cell:
    """Group size, deliveries/s and tickets times `scale`; message rate, duration, timeout kept."""
    if scale == 1.0:
        return cell
    size = max(3, round(cell.group_size * scale))
    return Cell(**{**asdict(cell), "group_size": size, "deliveries_per_s": cell.deliveries_per_s * scale,
                   "ticket_max": max(1, round(cell.ticket_max * scale)), "scale": scale})
