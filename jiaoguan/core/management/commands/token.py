from django.core.management.base import BaseCommand, CommandError

from jiaoguan.core.models import ApiToken, User


class Command(BaseCommand):
    help = "为用户签发接口令牌（只显示一次）：jiaoguan token USERNAME --name 用途 [--days 365]"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="命令行签发")
        parser.add_argument("--days", type=int, default=365)

    def handle(self, username, name, days, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在")
        _, key = ApiToken.issue(user, name, days or None)
        self.stdout.write(key)
        self.stderr.write(f"已为 {username} 签发令牌（{days}天有效）。请求时加请求头：Authorization: Bearer <令牌>")
