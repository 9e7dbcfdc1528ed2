from django.core.management.base import BaseCommand

from jiaoguan.enrollment.actions import retry_pending


class Command(BaseCommand):
    help = "重新核验仍在等待部门数据的入学申请（建议每10分钟由 cron 运行一次）"

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=10, help="只重试超过这么多分钟没有更新的申请")

    def handle(self, older_than, **options):
        n = retry_pending(older_than_minutes=older_than)
        self.stdout.write(f"已重新排队核验 {n} 份申请")
