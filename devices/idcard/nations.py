"""GB 3304 nation codes as printed on resident ID cards, and GB/T 2261.1 gender codes."""

from __future__ import annotations

NATIONS: dict[str, str] = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝",
    "08": "壮", "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白",
    "15": "土家", "16": "哈尼", "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤",
    "22": "畲", "23": "高山", "24": "拉祜", "25": "水", "26": "东乡", "27": "纳西", "28": "景颇",
    "29": "柯尔克孜", "30": "土", "31": "达斡尔", "32": "仫佬", "33": "羌", "34": "布朗",
    "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯", "39": "阿昌", "40": "普米",
    "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克", "46": "德昂",
    "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
    "53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}  # fmt: skip

GENDERS: dict[str, str] = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}


def nation_label(code: str) -> str:
    """'01' -> '汉'; a blank field (residence permits) gives ''; unknown codes show as-is."""
    code = code.strip()
    if not code:
        return ""
    return NATIONS.get(code.zfill(2), code)


def gender_label(code: str) -> str:
    code = code.strip()
    return GENDERS.get(code, code)


def nation_code(value: str) -> str:
    """Accept a code ('01') or a label ('汉', '汉族') and return the code ('' when blank)."""
    value = value.strip()
    if not value:
        return ""
    if value.isdigit():
        return value.zfill(2)
    bare = value.removesuffix("族")
    for code, label in NATIONS.items():
        if label in (value, bare):
            return code
    raise ValueError(f"未知民族：{value}")


def gender_code(value: str) -> str:
    """Accept a code ('1') or a label ('男') and return the code."""
    value = value.strip()
    if value in GENDERS:
        return value
    for code, label in GENDERS.items():
        if label == value:
            return code
    raise ValueError(f"未知性别：{value}")
