import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "生成演示县：乡镇、学校、三个学年的学生学籍、班级、教师任教记录、办学条件和各角色的演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子；同一种子生成完全相同的数据（默认 1）")
        parser.add_argument("--counties", type=int, default=1, help="县数（默认 1，即湘潭县；最多 9）")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="规模倍数（默认 1：约 240 所学校、12 万在校生；0.02 为测试用的微型县）")
        parser.add_argument("--if-empty", action="store_true", help="数据库里已有学校时什么也不做")
        parser.add_argument("--quiet", action="store_true", help="不显示进度")
        parser.add_argument("--registry-only", action="store_true", help="只生成学校、师生数据，不生成各股室的演示数据（测试用）")

    def handle(self, *args, seed, counties, scale, if_empty, quiet, registry_only=False, **options):
        from jiaoguan.demo.generator import demo_accounts, generate
        from jiaoguan.registry.models import School

        if School.objects.exists():
            if if_empty:
                self.stdout.write("数据库中已有学校数据，未生成演示数据（--if-empty）。")
                if not quiet:
                    call_command("demo_accounts", stdout=self.stdout)
                return
            raise CommandError("数据库中已有学校数据；演示数据只能生成到空数据库里（可加 --if-empty 跳过）。")
        started = time.monotonic()

        def log(msg: str) -> None:
            if not quiet:
                self.stdout.write(msg)
                self.stdout.flush()

        try:
            result = generate(seed=seed, counties=counties, scale=scale, log=log)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # each bureau-section app may add its own demo records (aid lists, rotations, …) in a
        # module `demo_data` with populate(seed, log), run after the registry exists
        from importlib import import_module
        from importlib.util import find_spec

        from django.apps import apps
        from django.db import transaction

        for config in apps.get_app_configs():
            if not registry_only and config.name.startswith("jiaoguan.") and find_spec(f"{config.name}.demo_data"):
                with transaction.atomic():
                    import_module(f"{config.name}.demo_data").populate(seed=seed, log=log)
        from jiaoguan.core.cache import bump

        bump()
        if not quiet:
            self.stdout.write(self.style.SUCCESS(
                f"演示数据已生成（种子 {seed}，用时 {time.monotonic() - started:.1f} 秒）："
                f"{result['counties']}个县，{result['schools']}所学校，本学年在籍学生{result['on_roll']}人"
                f"（学生共{result['pupils']}人，学籍记录{result['enrolments']}条），教师{result['teachers']}人，"
                f"班级{result['classes']}个。"
            ))
        if quiet:
            return
        self.stdout.write("演示账号（密码相同）：")
        self.stdout.write(f"  {'用户名':<6} {'密码':<14} {'角色':<8} 数据范围")
        for a in demo_accounts():
            self.stdout.write(f"  {a['username']:<9} {a['password']:<16} {a['role']:<8} {a['scope']}")
