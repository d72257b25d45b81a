using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>Test images built in memory with ImageSharp.</summary>
internal static class AttachmentImages
{
    public const string CameraMake = "KefuTestCam";

    /// <summary>A JPEG with a camera make and, if asked, a GPS position in its EXIF.</summary>
    public static byte[] Jpeg(int width, int height, bool withGps)
    {
        using var image = Gradient(width, height);
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Make, CameraMake);
        if (withGps)
        {
            exif.SetValue(ExifTag.GPSLatitudeRef, "N");
            exif.SetValue(ExifTag.GPSLatitude, [new Rational(31, 1), new Rational(14, 1), new Rational(1234, 100)]);
            exif.SetValue(ExifTag.GPSLongitudeRef, "E");
            exif.SetValue(ExifTag.GPSLongitude, [new Rational(121, 1), new Rational(28, 1), new Rational(5678, 100)]);
        }
        image.Metadata.ExifProfile = exif;
        using var stream = new MemoryStream();
        image.Save(stream, new JpegEncoder { Quality = 85 });
        return stream.ToArray();
    }

    public static byte[] Png(int width, int height)
    {
        using var image = Gradient(width, height);
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder());
        return stream.ToArray();
    }

    /// <summary>A PNG of random pixels: it does not compress, so its size is about width × height × 3 bytes.</summary>
    public static byte[] NoisePng(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        var random = new Random(width * 31 + height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                }
            }
        });
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder());
        return stream.ToArray();
    }

    /// <summary>The GPS tags left in an image's EXIF.</summary>
    public static List<string> GpsTags(byte[] bytes)
    {
        var info = Image.Identify(bytes);
        return info.Metadata.ExifProfile?.Values.Select(v => v.Tag.ToString()).Where(t => t.StartsWith("GPS", StringComparison.Ordinal)).ToList() ?? [];
    }

    public static string? Make(byte[] bytes) => Image.Identify(bytes).Metadata.ExifProfile?.GetValue(ExifTag.Make)?.Value;

    private static Image<Rgb24> Gradient(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24((byte)(x * 255 / width), (byte)(y * 255 / height), 128);
                }
            }
        });
        return image;
    }
}
