"""Generated studios in the interchange format, for benchmarks."""

import json
import random

CHAINS = [
    "石油装备",
    "轨道交通装备",
    "数控机床",
    "烟酒食品",
    "钛及钛合金",
    "汽车及零部件",
    "电力",
    "煤炭",
    "城市供水",
]
SKILLS = [
    "机器视觉",
    "振动抑制",
    "伺服调试",
    "超声波探伤",
    "焊接工艺",
    "涂层防腐",
    "液压支架",
    "泥浆泵",
    "发酵控制",
    "电压暂降",
    "主轴修复",
    "钛合金锻造",
    "漏损控制",
    "PLC",
    "减速器诊断",
]
KINDS = ["patent", "five_small", "project", "method", "award"]


def studio(i, rng, edition=1):
    chain = rng.choice(CHAINS)
    skills = rng.sample(SKILLS, 5)
    return {
        "id": f"s-gen-{i:06d}",
        "name": f"{chain}{skills[0]}第{i}号劳模创新工作室",
        "enterprise": f"{chain}企业{i % 400}",
        "industry_chain": chain,
        "district": f"第{i % 12}区",
        "level": rng.choice(["全国", "省级", "市级", "县级", "企业级"]),
        "leader": {"name": f"工匠{i}", "titles": ["劳动模范", "高级技师"]},
        "expertise": "、".join(skills)
        + "。长期从事现场技术攻关，擅长"
        + skills[1]
        + "与"
        + skills[2]
        + f"的改造和优化（第{edition}版）。",
        "tags": skills,
        "members": rng.randint(5, 40),
        "achievements": [
            {
                "title": f"{skills[k]}改进{i}-{k}",
                "kind": rng.choice(KINDS),
                "year": rng.randint(2015, 2026),
                "summary": f"{skills[k]}相关成果。",
                "benefit_wan_yuan": rng.randint(1, 300),
            }
            for k in range(3)
        ],
        "alliances": [f"{chain}创新工作室联盟"],
    }


def write_studios(path, count, seed=7, edition=1):
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(json.dumps(studio(i, rng, edition), ensure_ascii=False) + "\n")
    return path
