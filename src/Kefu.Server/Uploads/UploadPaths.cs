using System.Buffers;
using Kefu.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Uploads;

/// <summary>The uploads folder and the file names in it; ids are checked so no path ever leaves it.</summary>
internal sealed class UploadPaths
{
    private static readonly SearchValues<char> IdChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    public UploadPaths(IOptions<StorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        Root = Path.Combine(Path.GetFullPath(storage.Value.DataDir, Environment.CurrentDirectory), "uploads");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public static bool IsValidId(string? id) => id is { Length: > 0 and <= 64 } && !id.AsSpan().ContainsAnyExcept(IdChars);

    public string Data(string id) => Path.Combine(Root, Checked(id) + ".bin");

    private static string Checked(string id) => IsValidId(id) ? id : throw new ArgumentException("Invalid upload id.", nameof(id));
}
