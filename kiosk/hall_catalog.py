"""Categories, matters and their materials: reading, searching, editing, import and export."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

from kiosk import catalog as catalog_io
from kiosk.acceptance_rules import checklist_for
from kiosk.errors import InvalidAction, NotFound, ValidationError
from kiosk.hall_base import HallBase
from kiosk.matter_search import find_matters
from kiosk.models import Catalog, Category, Checklist, Matter
from kiosk.records import category_from_row, material_from_row, matter_from_row


class CatalogService(HallBase):
    def categories(self) -> list[Category]:
        with self.store.read() as db:
            return [category_from_row(r) for r in db.rows("SELECT * FROM categories ORDER BY sort_order, prefix")]

    def matters(self, category: str | None = None, include_inactive: bool = False) -> list[Matter]:
        """The matters offered (in one category); `include_inactive` adds those 停用 (the console)."""
        clauses = [c for c, on in (("category = ?", bool(category)), ("active = 1", not include_inactive)) if on]
        sql = "SELECT * FROM matters" + (" WHERE " + " AND ".join(clauses) if clauses else "") \
            + " ORDER BY sort_order, code"
        # one category's materials only: the kiosk lists a category on every touch of its tile
        mats_sql = "SELECT * FROM materials" + (
            " WHERE matter_code IN (SELECT code FROM matters WHERE category = ?)" if category else "") \
            + " ORDER BY matter_code, id"
        with self.store.read() as db:
            rows = db.rows(sql, [category] if category else [])
            mats: dict[str, list] = {}
            for r in db.rows(mats_sql, [category] if category else []):
                mats.setdefault(r["matter_code"], []).append(material_from_row(r))
        return [matter_from_row(r, tuple(mats.get(r["code"], ()))) for r in rows]

    def popular_matters(self, limit: int = 6, days: int = 30) -> list[Matter]:
        """The matters citizens took most tickets for in the last `days` days, most first, so the
        kiosk can offer them one touch from its home screen; catalog order breaks ties and fills
        the list while the hall is new."""
        if not 1 <= limit <= 50 or not 1 <= days <= 366:
            raise ValidationError(["常办事项数量应为1到50，统计天数应为1到366"])
        since = (self.today() - dt.timedelta(days=days - 1)).isoformat()
        with self.store.read() as db:
            counts = {r["matter_code"]: r["n"] for r in db.rows(
                "SELECT matter_code, count(*) AS n FROM tickets WHERE day >= ? AND matter_code != ''"
                " GROUP BY matter_code", [since])}
        every = self.matters()
        order = {m.code: i for i, m in enumerate(every)}
        every.sort(key=lambda m: (-counts.get(m.code, 0), order[m.code]))
        return every[:limit]

    def get_matter(self, code: str) -> Matter:
        with self.store.read() as db:
            row = next(db.query("SELECT * FROM matters WHERE code = ?", [code]), None)
            if row is None:
                raise NotFound(f"没有编码为“{code}”的事项")
            mats = tuple(material_from_row(r) for r in db.query(
                "SELECT * FROM materials WHERE matter_code = ? ORDER BY id", [code]))
        return matter_from_row(row, mats)

    def catalog(self) -> Catalog:
        return Catalog(categories=tuple(self.categories()), matters=tuple(self.matters(include_inactive=True)))

    def search_matters(self, query: str, category: str | None = None) -> list[Matter]:
        """By Chinese name or alias, pinyin initials or English name (`find_matters`)."""
        return find_matters(self.matters(category), query)

    def checklist(self, matter_code: str, answers: tuple[str, ...] = ()) -> Checklist:
        """What this applicant must bring, given which of the matter's conditions hold for them."""
        return checklist_for(self.get_matter(matter_code), answers)

    # --- editing (manager) -----------------------------------------------------------

    def import_catalog(self, document: dict | str, source: str = "目录文件", *, replace_all: bool = False) -> Catalog:
        """Validate the whole document first; store it in one transaction or not at all."""
        with self.store.read():
            known = frozenset(r[0] for r in self.store.conn.execute("SELECT prefix FROM categories"))
        parsed = catalog_io.parse_json(document, source, known) if isinstance(document, str) else \
            catalog_io.parse_document(document, source, known)
        with self._tx():
            conn = self.store.conn
            known = {r[0] for r in conn.execute("SELECT prefix FROM categories")} | {c.prefix for c in parsed.categories}
            missing = sorted({m.category for m in parsed.matters} - known)
            if missing:
                raise ValidationError([f"分类“{p}”不存在" for p in missing], source)
            if replace_all:
                # matters the new catalog keeps are updated in place; only the others go, and not
                # while appointments or applications still point at them
                gone = sorted({r[0] for r in conn.execute("SELECT code FROM matters")} - {m.code for m in parsed.matters})
                problems = self._in_use(gone)
                if problems:
                    raise ValidationError(problems + ["请保留这些事项，或先取消相关预约"], source)
                conn.executemany("DELETE FROM materials WHERE matter_code = ?", [(c,) for c in gone])
                conn.executemany("DELETE FROM matters WHERE code = ?", [(c,) for c in gone])
            for c in parsed.categories:
                self._put_category(c)
            for i, m in enumerate(parsed.matters):
                self._put_matter(m, sort_order=i)
            self._names_unique(source)
            self._event("CatalogImported", categories=len(parsed.categories), matters=len(parsed.matters),
                        source=source)
        return parsed

    def export_catalog(self) -> dict:
        return catalog_io.to_document(self.catalog())

    def export_materials_csv(self) -> str:
        return catalog_io.materials_to_csv(self.matters())

    def import_materials_csv(self, text: str, source: str = "材料表") -> int:
        """Replace the materials of every matter named in the CSV; returns how many rows were stored."""
        with self._tx():
            codes = {r[0] for r in self.store.conn.execute("SELECT code FROM matters")}
            per_matter = catalog_io.materials_from_csv(text, codes, source)
            for code, materials in per_matter.items():
                matter = self.get_matter(code)
                self._check_matter(replace(matter, materials=materials), source)
                self._put_materials(code, materials)
            self._event("MaterialsImported", matters=len(per_matter), source=source)
        return sum(len(v) for v in per_matter.values())

    def save_category(self, category: Category) -> None:
        problems: list[str] = []
        catalog_io.parse_category(self._category_dict(category), "分类", problems)
        if problems:
            raise ValidationError(problems)
        with self._tx():
            self._put_category(category)
            self._names_unique("分类")
            self._event("CategorySaved", category=category.prefix)

    def save_categories(self, categories: list[Category]) -> int:
        """Several categories as one change: every one is checked first and all are stored in one
        transaction, so one bad row stores none (the console's 保存分类)."""
        problems: list[str] = []
        prefixes = [c.prefix for c in categories]
        problems += [f"前缀“{p}”重复" for p in sorted({p for p in prefixes if prefixes.count(p) > 1})]
        for c in categories:
            catalog_io.parse_category(self._category_dict(c), f"分类“{c.prefix}”", problems)
        if problems:
            raise ValidationError(problems)
        with self._tx():
            for c in categories:
                self._put_category(c)
                self._event("CategorySaved", category=c.prefix)
            self._names_unique("分类")
        return len(categories)

    def save_matter(self, matter: Matter) -> None:
        with self._tx():
            self._check_matter(matter, "事项")
            self._put_matter(matter)
            self._names_unique("事项")
            self._event("MatterSaved", matter=matter.code)

    def delete_matter(self, code: str) -> None:
        """Remove a matter no appointment or application refers to (their records need its name)."""
        with self._tx():
            if self.store.conn.execute("SELECT 1 FROM matters WHERE code = ?", (code,)).fetchone() is None:
                raise NotFound(f"没有编码为“{catalog_io.shown(code)}”的事项")
            problems = self._in_use([code])
            if problems:
                raise InvalidAction("；".join(problems) + "，不能删除（记录要用到它）；如不再办理，请勾选“停用”："
                                    "取号机不再显示，记录照常保留")
            self.store.conn.execute("DELETE FROM materials WHERE matter_code = ?", (code,))
            self.store.conn.execute("DELETE FROM matters WHERE code = ?", (code,))
            self._event("MatterDeleted", matter=code)

    def _in_use(self, codes: list[str]) -> list[str]:
        """Why each of these matters must stay: booked appointments, stored applications, today's
        tickets still to be served."""
        conn = self.store.conn
        problems = []
        for code in codes:
            booked = conn.execute("SELECT count(*) FROM appointments WHERE matter_code = ?", (code,)).fetchone()[0]
            apps = conn.execute("SELECT count(*) FROM applications WHERE matter_code = ?", (code,)).fetchone()[0]
            if booked:
                problems.append(f"事项“{code}”有{booked}个预约记录")
            if apps:
                problems.append(f"事项“{code}”有{apps}件办件记录")
            holding = conn.execute(
                "SELECT count(*) FROM tickets WHERE matter_code = ? AND day = ? AND status IN"
                " ('waiting', 'called', 'serving', 'skipped')", (code, self.today().isoformat())).fetchone()[0]
            if holding:  # the window would call them with no checklist to check
                problems.append(f"事项“{code}”今天还有{holding}位群众持号等候或正在办理")
        return problems

    def _names_unique(self, source: str) -> None:
        """Refuse (rolling the change back) two categories or two offered matters of one name: the
        kiosk would show two tiles alike, and the citizen could not tell which is theirs."""
        conn = self.store.conn
        problems = [f"分类名称“{name}”被{prefixes}用了两次" for name, prefixes in conn.execute(
            "SELECT name, group_concat(prefix, '、') FROM categories GROUP BY name HAVING count(*) > 1")]
        problems += [f"事项名称“{name}”被{codes}用了两次" for name, codes in conn.execute(
            "SELECT name, group_concat(code, '、') FROM matters WHERE active = 1 GROUP BY name HAVING count(*) > 1")]
        if problems:
            raise ValidationError(problems, source)

    def _check_matter(self, matter: Matter, source: str) -> None:
        prefixes = {r[0] for r in self.store.conn.execute("SELECT prefix FROM categories")}
        problems: list[str] = []
        doc = catalog_io.to_document(Catalog(categories=(), matters=(matter,)))["matters"][0]
        catalog_io.parse_matter(doc, f"事项“{matter.name or matter.code}”", problems, prefixes)
        if problems:
            raise ValidationError(problems, source)

    @staticmethod
    def _category_dict(c: Category) -> dict:
        return catalog_io.to_document(Catalog(categories=(c,), matters=()))["categories"][0]

    def _put_category(self, c: Category) -> None:
        self.store.conn.execute(
            "INSERT INTO categories (prefix, name, name_en, daily_cap, warn_at, default_service_minutes, sort_order)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(prefix) DO UPDATE SET name = excluded.name,"
            " name_en = excluded.name_en, daily_cap = excluded.daily_cap, warn_at = excluded.warn_at,"
            " default_service_minutes = excluded.default_service_minutes, sort_order = excluded.sort_order",
            (c.prefix, c.name, c.name_en, c.daily_cap, c.warn_at, c.default_service_minutes, c.sort_order),
        )

    def _put_matter(self, m: Matter, sort_order: int | None = None) -> None:
        conn = self.store.conn
        if sort_order is None:
            row = conn.execute("SELECT sort_order FROM matters WHERE code = ?", (m.code,)).fetchone()
            sort_order = row[0] if row else conn.execute("SELECT coalesce(max(sort_order), 0) + 1 FROM matters").fetchone()[0]
        conn.execute(
            "INSERT INTO matters (code, name, department, category, type, promised_days, statutory_days, fee, online,"
            " rongque_days, initials, aliases, source, sort_order, name_en, department_en, aliases_en, active)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(code) DO UPDATE SET name = excluded.name, department = excluded.department,"
            " category = excluded.category, type = excluded.type, promised_days = excluded.promised_days,"
            " statutory_days = excluded.statutory_days, fee = excluded.fee, online = excluded.online,"
            " rongque_days = excluded.rongque_days, initials = excluded.initials, aliases = excluded.aliases,"
            " source = excluded.source, sort_order = excluded.sort_order, name_en = excluded.name_en,"
            " department_en = excluded.department_en, aliases_en = excluded.aliases_en, active = excluded.active",
            (m.code, m.name, m.department, m.category, m.type, m.promised_days, m.statutory_days, m.fee, int(m.online),
             m.rongque_days, m.initials or catalog_io.initials_of(m.name),
             json.dumps(list(m.aliases), ensure_ascii=False), m.source, sort_order, m.name_en, m.department_en,
             json.dumps(list(m.aliases_en)), int(m.active)),
        )
        self._put_materials(m.code, m.materials)

    def _put_materials(self, code: str, materials: tuple) -> None:
        conn = self.store.conn
        conn.execute("DELETE FROM materials WHERE matter_code = ?", (code,))
        conn.executemany(
            "INSERT INTO materials (matter_code, id, name, form, copies, required, condition, key, rongque, shared,"
            " notes, name_en, condition_en, on_site) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(code, x.id, x.name, x.form, x.copies, int(x.required), x.condition, int(x.key), int(x.rongque),
              int(x.shared), x.notes, x.name_en, x.condition_en, int(x.on_site)) for x in materials],
        )
