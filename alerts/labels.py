"""The words of a digest in each language: section titles, metric names, units, months.

Templates get these as ``t``; a user who overrides a template can still use them.
"""

from __future__ import annotations

LANGUAGES = ("id", "en")

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "title": "Digest pantau",
        "intro": "Angka baru dan revisi sejak digest terakhir",
        "nothing_new": "Tidak ada angka baru yang cocok dengan filter Anda sejak digest terakhir.",
        "nothing_new_since": "Tidak ada angka baru yang cocok dengan filter Anda sejak {date}.",
        "nothing_new_first": "Tidak ada angka baru yang cocok dengan filter Anda.",
        "family_umkm": "Digitalisasi UMKM",
        "family_connectivity": "Konektivitas dan talenta digital",
        "family_other": "Lainnya",
        "new_value": "Angka baru",
        "revised": "Revisi",
        "target": "target",
        "actual": "capaian",
        "year": "tahun",
        "previous": "sebelumnya",
        "change": "perubahan",
        "first_value": "belum ada angka lebih awal yang diketahui per tanggal terbitnya",
        "no_year": "tanpa tahun",
        "in_this_digest": "di digest ini",
        "was": "semula",
        "now": "kini",
        "revised_on": "direvisi",
        "source": "Sumber",
        "read_article": "Baca artikel",
        "history": "Riwayat metrik di Datasette",
        "health": "Kesehatan sumber",
        "health_ok": "Semua sumber dan pengiriman berjalan normal.",
        "delivery_failed": "Pengiriman gagal",
        "attempts": "percobaan",
        "footer_counts": "{new} angka baru · {revised} revisi · {health} catatan kesehatan · {filtered} temuan lain disaring",
        "footer_window": "Temuan #{first}–#{last}",
        "subject": "[pantau] {new} angka baru, {revised} revisi",
        "subject_empty": "[pantau] tidak ada angka baru",
        "part": "bagian",
        "more": "… dan {n} angka lain untuk metrik ini",
        "problem_no_new_articles": "tidak ada artikel baru selama {hours} jam",
        # Figures over time (issue 12): conflicts between sources, retag summaries.
        "conflict": "Konflik",
        "conflict_intro": "dua sumber, periode yang sama",
        "period": "periode",
        "versus": "vs",
        "retag_line": "{articles} artikel dibaca ulang, {figures} angka berubah",
        "retag_title": "Pembacaan ulang",
        "subject_conflicts": ", {n} konflik",
        "footer_conflicts": " · {n} konflik",
    },
    "en": {
        "title": "pantau digest",
        "intro": "New and revised figures since the last digest",
        "nothing_new": "No new figures matching your filters since the last digest.",
        "nothing_new_since": "No new figures matching your filters since {date}.",
        "nothing_new_first": "No new figures matching your filters.",
        "family_umkm": "UMKM going digital",
        "family_connectivity": "Connectivity and digital talent",
        "family_other": "Other",
        "new_value": "New value",
        "revised": "Revised",
        "target": "target",
        "actual": "actual",
        "year": "year",
        "previous": "previous",
        "change": "change",
        "first_value": "no earlier value known at its publication date",
        "no_year": "no year",
        "in_this_digest": "in this digest",
        "was": "was",
        "now": "now",
        "revised_on": "revised",
        "source": "Source",
        "read_article": "Read the article",
        "history": "Metric history in Datasette",
        "health": "Source health",
        "health_ok": "All sources and deliveries are working.",
        "delivery_failed": "Delivery failed",
        "attempts": "attempts",
        # Worded so that a count of 1 reads right too.
        "footer_counts": "new values: {new} · revisions: {revised} · health notes: {health} · other findings filtered out: {filtered}",
        "footer_window": "Findings #{first}–#{last}",
        "subject": "[pantau] {new} new · {revised} revised",
        "subject_empty": "[pantau] no new figures",
        "part": "part",
        "more": "… and {n} more for this metric",
        "problem_no_new_articles": "no new article for {hours} hours",
        # Figures over time (issue 12): conflicts between sources, retag summaries.
        "conflict": "Conflict",
        "conflict_intro": "two sources, same period",
        "period": "period",
        "versus": "vs",
        "retag_line": "{articles} articles re-read, {figures} figures changed",
        "retag_title": "Re-read",
        "subject_conflicts": " · {n} conflicting",
        "footer_conflicts": " · conflicts: {n}",
    },
}

# Readable metric names; a metric missing here (a user's taxonomy) is shown by its id.
METRIC_NAMES: dict[str, dict[str, str]] = {
    "umkm_online": {"id": "UMKM online", "en": "UMKM online"},
    "umkm_online_target": {"id": "Target UMKM online", "en": "UMKM online target"},
    "umkm_online_added": {"id": "UMKM baru go online", "en": "UMKM newly online"},
    "umkm_online_pct": {"id": "Persentase UMKM online", "en": "Share of UMKM online"},
    "umkm_digital_training": {"id": "Pelatihan digital UMKM", "en": "UMKM digital training"},
    "umkm_total": {"id": "Jumlah UMKM", "en": "Total UMKM"},
    "other_umkm": {"id": "Angka UMKM lain", "en": "Other UMKM figures"},
    "internet_access_points": {"id": "Titik akses internet", "en": "Internet access points"},
    "bts_towers": {"id": "Menara BTS", "en": "BTS towers"},
    "villages_unconnected": {"id": "Desa belum terkoneksi", "en": "Unconnected villages"},
    "villages_4g_covered": {"id": "Desa terjangkau 4G", "en": "Villages with 4G"},
    "villages_total": {"id": "Jumlah desa", "en": "Total villages"},
    "fiber_optic_km": {"id": "Serat optik (km)", "en": "Fibre optic (km)"},
    "regencies_connected": {"id": "Kabupaten/kota terhubung", "en": "Regencies connected"},
    "satellite_capacity_gbps": {"id": "Kapasitas satelit", "en": "Satellite capacity"},
    "internet_users": {"id": "Pengguna internet", "en": "Internet users"},
    "internet_penetration_pct": {"id": "Penetrasi internet", "en": "Internet penetration"},
    "ict_budget_idr": {"id": "Anggaran TIK", "en": "ICT budget"},
    "digital_talent": {"id": "Talenta digital", "en": "Digital talent"},
    "digital_talent_target": {"id": "Kebutuhan talenta digital", "en": "Digital talent target"},
    "digital_talent_gap": {"id": "Kekurangan talenta digital", "en": "Digital talent gap"},
    "other_connectivity": {"id": "Angka konektivitas lain", "en": "Other connectivity figures"},
}

UNIT_NAMES: dict[str, dict[str, str]] = {
    "umkm": {"id": "UMKM", "en": "UMKM"},
    "titik": {"id": "titik", "en": "points"},
    "bts": {"id": "BTS", "en": "BTS"},
    "desa": {"id": "desa", "en": "villages"},
    "km": {"id": "km", "en": "km"},
    "kabupaten_kota": {"id": "kabupaten/kota", "en": "regencies"},
    "gbps": {"id": "Gbps", "en": "Gbps"},
    "orang": {"id": "orang", "en": "people"},
}

# A percentage changes by points: "+5,8 poin".
POINTS = {"id": "poin", "en": "points"}

MONTHS = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}

# Large-number words: (threshold, Indonesian, English), largest first.
SCALES = [(1e12, "triliun", "trillion"), (1e9, "miliar", "billion"), (1e6, "juta", "million")]


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["id"])


def metric_name(metric: str, language: str) -> str:
    return METRIC_NAMES.get(metric, {}).get(language, metric)
