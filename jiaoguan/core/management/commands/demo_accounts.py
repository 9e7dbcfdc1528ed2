from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "打印演示账号（用户名、密码、角色、数据范围）"

    def handle(self, *args, **options):
        from jiaoguan.demo.generator import demo_accounts
        from jiaoguan.core.models import User

        rows = [a for a in demo_accounts() if User.objects.filter(username=a["username"]).exists()]
        if not rows:
            self.stdout.write("（数据库中没有演示账号）")
            return
        self.stdout.write("演示账号 Demo log-ins（密码相同 / same password）：")
        for a in rows:
            self.stdout.write(f"  {a['username']:<8} {a['password']}  {a['role']:<10} {a['scope']}")
