"""Draw pfdesk's icon (PNG and Windows ICO) with Pillow; run again to regenerate."""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent


def draw(size: int = 256) -> Image.Image:
    """A green rounded square with a white desk-and-people mark."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    s = size / 256
    d.rounded_rectangle((8 * s, 8 * s, 248 * s, 248 * s), radius=44 * s, fill=(34, 120, 96))
    white = (255, 255, 255)
    for cx in (80, 128, 176):  # three people around one table: the platform
        d.ellipse(((cx - 18) * s, 58 * s, (cx + 18) * s, 94 * s), fill=white)
        d.rounded_rectangle(((cx - 24) * s, 100 * s, (cx + 24) * s, 150 * s), radius=16 * s,
                            fill=white)
    d.rounded_rectangle((40 * s, 156 * s, 216 * s, 178 * s), radius=6 * s, fill=white)
    d.rectangle((60 * s, 178 * s, 74 * s, 214 * s), fill=white)
    d.rectangle((182 * s, 178 * s, 196 * s, 214 * s), fill=white)
    return img


if __name__ == "__main__":
    icon = draw()
    icon.save(HERE / "pfdesk.png")
    icon.save(HERE / "pfdesk.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (256, 256)])
