"""Demo content for the people app; `seed_demo` runs every app's seeder in order.

Each app registers ``@hooks.register("lms_seed_demo", order=N)`` with a function taking
``(*, stdout, size)`` that is idempotent (a second run changes nothing).
"""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from .models import ROLE_GROUP_NAMES, Organisation, User
from .services import roles_ensure, user_create, user_set_roles

DEMO_PASSWORD = "demo1234"  # noqa: S105 - printed for the demo, never used in production

ORGANISATIONS = [
    ("ministry", "Secretaría de Gobernación", "SEGOB"),
    ("ministry", "Instituto Nacional de las Mujeres", "INMUJERES"),
    ("ministry", "Secretaría de Bienestar", "BIENESTAR"),
    ("ministry", "Secretaría de Economía", "SE"),
    ("ministry", "Secretaría de Salud", "SALUD"),
    ("company", "Minera del Pacífico S.A. de C.V.", "Minera del Pacífico"),
    ("company", "Agroindustrias del Sureste S.A.", "Agrosureste"),
    ("company", "Textiles Guerrero S. de R.L.", "Textiles Guerrero"),
    ("company", "Energía Limpia de Oaxaca", "ELO"),
    ("cso", "Hombres por la Igualdad, Chiapas A.C.", "Hombres por la Igualdad"),
    ("cso", "Colectivo Afromexicano de la Costa Chica", "Colectivo Costa Chica"),
    ("cso", "Red Comunitaria Maya de Quintana Roo", "Red Maya QRoo"),
    ("other", "Otra organización", "Otra"),
]

# (e-mail, full name, organisation short name, roles)
PEOPLE = [
    ("admin@example.org", "Administración de la Plataforma", None, ("editor", "manager")),
    ("editora@example.org", "Lucía Hernández Ríos", None, ("editor",)),
    ("coordinacion@example.org", "Mariana Ochoa Gutiérrez", "INMUJERES", ("manager",)),
    ("coordinacion.empresas@example.org", "Ricardo Téllez Zúñiga", "SEGOB", ("manager",)),
    ("facilitador@example.org", "Jorge Ramírez Peña", "INMUJERES", ("trainer",)),
    ("facilitadora.empresas@example.org", "Ana Sofía Villaseñor", "SEGOB", ("trainer",)),
    ("facilitadora.osc@example.org", "Beatriz Domínguez Solís", "INMUJERES", ("trainer",)),
    ("participante@example.org", "José Ángel Muñoz Núñez", "SEGOB", ("learner",)),
    ("maria.lopez@example.org", "María Guadalupe López Cruz", "BIENESTAR", ("learner",)),
    ("tomas.kuyoc@example.org", "Tomás Ku'uyoc Chablé", "Red Maya QRoo", ("learner",)),
    (
        "ernesto.garcia@example.org",
        "Ernesto García Peñaloza",
        "Colectivo Costa Chica",
        ("learner",),
    ),
    ("rocio.santiago@example.org", "Rocío Santiago Hernández", "SALUD", ("learner",)),
    ("empresa@example.org", "Daniela Ibáñez Ortiz", "Minera del Pacífico", ("learner",)),
    ("luis.mendoza@example.org", "Luis Mendoza Álvarez", "Agrosureste", ("learner",)),
    ("carmen.ruiz@example.org", "Carmen Ruiz Bautista", "Textiles Guerrero", ("learner",)),
    ("pedro.xolo@example.org", "Pedro Xolo Cuautle", "ELO", ("learner",)),
]

GIVEN = [
    "Juan",
    "María",
    "José",
    "Guadalupe",
    "Luis",
    "Ana",
    "Carlos",
    "Rosa",
    "Miguel",
    "Lucía",
    "Francisco",
    "Verónica",
    "Alejandro",
    "Itzel",
    "Jesús",
    "Xóchitl",
    "Ñeri",
    "Andrés",
]
FAMILY = [
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Gómez",
    "Ibáñez",
    "Muñoz",
    "Chablé",
    "Ku'uyoc",
    "Núñez",
]


def seed_people(*, stdout, size: int = 0) -> None:
    roles_ensure()
    orgs = {}
    for kind, name, short in ORGANISATIONS:
        orgs[short], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "short_name": short}
        )
    for email, full_name, org, roles in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(
                email=email,
                full_name=full_name,
                password=DEMO_PASSWORD,
                organisation=orgs.get(org),
                roles=roles,
                is_superuser=email.startswith("admin@"),
                is_staff=email.startswith("admin@"),
            )
        else:
            user_set_roles(user=user, roles=roles)
    # Extra learners for load tests: `seed_demo --size N` creates N more, deterministically named.
    # One password hash for all of them: hashing 10,000 times would take minutes.
    existing = set(
        User.objects.filter(email__startswith="aprendiz").values_list("email", flat=True)
    )
    org_list = [o for o in orgs.values() if o.kind != "other"]
    password = make_password(DEMO_PASSWORD)
    new_users = [
        User(
            email=f"aprendiz{i:05d}@example.org",
            full_name=(
                f"{GIVEN[i % len(GIVEN)]} {FAMILY[i % len(FAMILY)]} "
                f"{FAMILY[(i // 7) % len(FAMILY)]}"
            ),
            password=password,
            organisation=org_list[i % len(org_list)],
        )
        for i in range(size)
        if f"aprendiz{i:05d}@example.org" not in existing
    ]
    User.objects.bulk_create(new_users, batch_size=1000)
    if new_users:
        learner_group = Group.objects.get(name=ROLE_GROUP_NAMES["learner"])
        ids = User.objects.filter(email__in=[u.email for u in new_users]).values_list(
            "id", flat=True
        )
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=uid, group_id=learner_group.id) for uid in ids],
            batch_size=1000,
        )


def demo_logins() -> list[tuple[str, str]]:
    return [(email, ", ".join(roles)) for email, _n, _o, roles in PEOPLE]
