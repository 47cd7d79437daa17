"""StreamField blocks shared by every page type."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

__all__ = ["HeadingBlock", "ImageBlock", "QuoteBlock", "FigureBlock", "BaseStreamBlock"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=120)
    size = blocks.ChoiceBlock(
        choices=[("h2", "H2"), ("h3", "H3")], default="h2", label=_("size")
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        preview_value = {"text": "技术会诊现场", "size": "h2"}
        description = _("A section heading")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        description = _("An image with a caption")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        preview_value = {"text": "问题在现场，答案也在现场。", "attribution": "寇卫东"}
        description = _("A quotation from a craftsman or an enterprise")


class FigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("figure"), max_length=30)
    label = blocks.CharBlock(label=_("what it measures"), max_length=80)

    class Meta:
        icon = "pick"
        template = "blocks/figure_block.html"
        preview_value = {"value": "126 万元", "label": "年经济效益"}
        description = _("A key figure, such as an economic benefit")


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul"],
        label=_("paragraph"),
    )
    image = ImageBlock()
    quote = QuoteBlock()
    figure = FigureBlock()
