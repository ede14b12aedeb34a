from wagtail import hooks


@hooks.register("lms_seed_demo", order=50)
def seed_reports(*, stdout, size):
    from .demo import seed

    seed(stdout=stdout, size=size)
