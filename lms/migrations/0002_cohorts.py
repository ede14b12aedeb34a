import django.db.models.deletion
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lms', '0001_initial'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Cohort',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('starts_on', models.DateField(blank=True, null=True, verbose_name='starts on')),
                ('ends_on', models.DateField(blank=True, null=True, verbose_name='ends on')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('programme', models.ForeignKey(help_text='The programme page this cohort belongs to.', on_delete=django.db.models.deletion.PROTECT, related_name='cohorts', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='programme')),
                ('trainers', models.ManyToManyField(blank=True, related_name='trained_cohorts', to=settings.AUTH_USER_MODEL, verbose_name='trainers')),
            ],
            options={
                'verbose_name': 'cohort',
                'verbose_name_plural': 'cohorts',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='CohortMembership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('joined_at', models.DateTimeField(auto_now_add=True)),
                ('cohort', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='lms.cohort')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cohort_memberships', to=settings.AUTH_USER_MODEL, verbose_name='learner')),
            ],
            options={
                'verbose_name': 'cohort membership',
                'verbose_name_plural': 'cohort memberships',
            },
        ),
        migrations.AddField(
            model_name='cohort',
            name='members',
            field=models.ManyToManyField(blank=True, related_name='cohorts', through='lms.CohortMembership', to=settings.AUTH_USER_MODEL, verbose_name='members'),
        ),
        migrations.CreateModel(
            name='HelpSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phone', models.CharField(blank=True, default='800 000 0000', max_length=40, verbose_name='help phone')),
                ('email', models.EmailField(blank=True, default='ayuda@example.org', max_length=254, verbose_name='help e-mail')),
                ('hours', models.CharField(blank=True, default='Lunes a viernes, 9:00 a 18:00 (hora del centro)', max_length=120, verbose_name='opening hours')),
                ('whatsapp', models.CharField(blank=True, max_length=40, verbose_name='WhatsApp')),
                ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
            ],
            options={
                'verbose_name': 'help channels',
            },
        ),
        migrations.CreateModel(
            name='ProgrammeManager',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='programme_managers', to=settings.WAGTAIL_PAGE_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='managed_programmes', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'programme manager',
                'verbose_name_plural': 'programme managers',
            },
        ),
        migrations.AddConstraint(
            model_name='cohortmembership',
            constraint=models.UniqueConstraint(fields=('cohort', 'user'), name='unique_cohort_member'),
        ),
        migrations.AddConstraint(
            model_name='programmemanager',
            constraint=models.UniqueConstraint(fields=('user', 'programme'), name='unique_programme_manager'),
        ),
    ]
