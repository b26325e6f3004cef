"""How much of a sample's fee a bulk order took as credit, on the sample line, so that cancelling
the sample can give exactly that back. Lines credited before: the sample's fee, at most the bulk
order's whole credit (exact whenever one sample was credited to the order, the usual case)."""

from decimal import Decimal

from django.db import migrations, models


def fill(apps, schema_editor):
    OrderLine = apps.get_model("orders", "OrderLine")
    lines = list(
        OrderLine.objects.using(schema_editor.connection.alias)
        .filter(credited_to__isnull=False)
        .select_related("credited_to__order")
    )
    for line in lines:
        line.credit_amount = min(line.line_total, line.credited_to.order.sample_credit)
    OrderLine.objects.using(schema_editor.connection.alias).bulk_update(lines, ["credit_amount"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0006_rfq_event"),
    ]

    operations = [
        migrations.AddField(
            model_name="orderline",
            name="credit_amount",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("0"), max_digits=12, verbose_name="sample fee credited"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
