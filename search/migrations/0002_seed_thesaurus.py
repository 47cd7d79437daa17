"""A starter thesaurus of plant-floor ↔ technical words; union staff extend it
in the admin (Search and matching → Thesaurus)."""

from django.db import migrations

STARTER = [
    ("抖、抖动、振动、振颤、颤振、震动、晃动、vibration", "vibration"),
    ("歪、歪斜、偏斜、偏位、错位、不正、misalignment", "misalignment"),
    ("起皮、脱皮、掉漆、涂层剥落、漆膜脱落、附着力差、附着力", "coating adhesion"),
    ("鼓泡、起泡、气泡、漆膜缺陷", "coating blisters"),
    ("晃电、电压暂降、电压骤降、电压跌落、低电压穿越、欠压", "voltage sag"),
    ("探伤、无损检测、NDT、超声检测、超声波探伤、射线检测、磁粉检测、渗透检测",
     "non-destructive testing"),
    ("泄漏、渗漏、漏油、漏水、内泄、跑冒滴漏、leak", "leaks"),
    ("漏损、漏点、检漏、听漏、管网漏损", "water network losses"),
    ("裂纹、开裂、断裂、裂缝、crack", "cracks"),
    ("磨损、磨耗、拉伤、划伤、wear", "wear"),
    ("发热、过热、温升、升温、热伸长、overheating", "heat"),
    ("异响、噪声、噪音、响声、noise", "noise"),
    ("卡死、卡滞、抱死、咬死、卡阻", "seizure"),
    ("粘刀、积屑瘤、粘结", "built-up edge"),
    ("尺寸不稳定、尺寸漂移、精度漂移、超差、热变形、热误差", "dimensional drift"),
    ("停机、停车、跳闸、非计划停机", "stoppage"),
    ("打滑、滑动、丢转、slip", "slip"),
    ("压力波动、压力脉动、憋压", "pressure pulsation"),
    ("掉压、保压不住、压力下降、泄压、保压", "pressure loss"),
    ("自降、下沉、下缩、沉降、回缩", "creep"),
    ("气孔、夹渣、未熔合、未焊透、咬边、焊接缺陷", "weld defects"),
    ("焊透、熔透、熔深、熔合", "penetration"),
    ("变形、翘曲、扭曲、焊接变形", "distortion"),
    ("生锈、锈蚀、腐蚀、防腐、corrosion", "corrosion"),
    ("堵塞、结垢、积垢、堵管", "clogging"),
    ("封口不牢、热封不良、粘不牢、热封、封口", "sealing"),
    ("起皱、起褶、皱褶、褶皱", "wrinkles"),
    ("目检、肉眼检查、视觉检测、机器视觉、图像识别、在线检测、machine vision",
     "inspection"),
    ("剔除、剔废、自动剔除、剔除装置", "rejection"),
    ("错盖、混用、混牌、混料、错装、防错", "mix-ups"),
    ("漏盖、缺件、漏装、缺支、缺失", "missing parts"),
    ("降温、冷却、散热、控温、温度控制、cooling", "cooling"),
    ("出力不均、负载不均、功率平衡、主从控制、负荷分配", "load sharing"),
    ("变频器、变频驱动、VFD、inverter", "variable frequency drive"),
    ("PLC、可编程控制器、电控", "PLC"),
    ("伺服、伺服电机、伺服驱动、伺服调试、servo", "servo"),
    ("机器人、机械手、工业机器人、robot", "robots"),
    ("焊枪、焊炬、TCP、工具中心点", "torch"),
    ("减速器、减速机、RV减速器、谐波减速器、gearbox", "gearbox"),
    ("轴承、轴瓦、bearing", "bearings"),
    ("主轴、电主轴、spindle", "spindle"),
    ("刀具寿命、崩刃、刀片磨损、换刀频繁、刀具", "tool life"),
    ("钛合金、钛材、难加工材料、titanium", "titanium"),
    ("漏电、绝缘下降、接地故障、漏电保护", "earth leakage"),
    ("谐波、电能质量、功率因数", "power quality"),
    ("压力表、压力传感器、压力变送器", "pressure gauges"),
    ("水泵、泥浆泵、钻井泵、柱塞泵、往复泵、pump", "pumps"),
    ("液压、油压、液压系统、hydraulic", "hydraulics"),
    ("密封、密封圈、O形圈、油封、seal", "seals"),
    ("皮带、输送带、胶带、带式输送机、conveyor", "conveyors"),
    ("跑偏、偏移、走偏", "belt tracking"),
    ("杀菌、灭菌、巴氏杀菌、PU值", "pasteurisation"),
    ("喷漆、喷涂、涂装、coating", "painting"),
    ("除锈、喷砂、抛丸、表面处理", "surface preparation"),
    ("焊接、焊缝、焊头、welding", "welding"),
    ("包装、裹包、外包、打包、packaging", "packaging"),
    ("薄膜、透明纸、BOPP膜、包装膜、film", "film"),
    ("灌装、装瓶、灌装线、filling", "filling"),
    ("压盖、封盖、瓶盖、capping", "capping"),
    ("数控、CNC、加工中心、数控机床", "CNC"),
    ("预热、暖机、热机", "warm-up"),
    ("螺纹、扣型、丝扣、thread", "threads"),
    ("能耗、节能、电耗、能效", "energy"),
    ("合格率、良品率、不良率、返工、次品", "quality rate"),
]


def seed(apps, schema_editor):
    ThesaurusEntry = apps.get_model("search", "ThesaurusEntry")
    ThesaurusEntry.objects.bulk_create(
        [ThesaurusEntry(terms=terms, note=note) for terms, note in STARTER]
    )


def unseed(apps, schema_editor):
    apps.get_model("search", "ThesaurusEntry").objects.filter(
        terms__in=[terms for terms, _ in STARTER]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
