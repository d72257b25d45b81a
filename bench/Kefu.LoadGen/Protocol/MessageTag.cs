using System.Globalization;

namespace Kefu.LoadGen.Protocol;

/// <summary>
/// What a generated message carries in its text so that any receiving process can check it: the sending
/// endpoint, the sender's message number and the intended send time. Stopwatch ticks come from the
/// system-wide monotonic clock on Linux, so they compare across the worker processes.
/// </summary>
internal readonly record struct MessageTag(string Endpoint, int Number, long IntendedTicks)
{
    public string ClientMsgId => $"{Endpoint}.{Number.ToString(CultureInfo.InvariantCulture)}";

    public string ToText(int padTo)
    {
        var text = $"{Endpoint}|{Number.ToString(CultureInfo.InvariantCulture)}|{IntendedTicks.ToString(CultureInfo.InvariantCulture)}|";
        return text.Length >= padTo ? text : text + new string('x', padTo - text.Length);
    }

    public static bool TryParse(string? text, out MessageTag tag)
    {
        tag = default;
        if (text is null)
            return false;
        var span = text.AsSpan();
        var first = span.IndexOf('|');
        if (first <= 0)
            return false;
        var rest = span[(first + 1)..];
        var second = rest.IndexOf('|');
        if (second <= 0)
            return false;
        var third = rest[(second + 1)..].IndexOf('|');
        if (third <= 0)
            return false;
        if (!int.TryParse(rest[..second], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || !long.TryParse(rest.Slice(second + 1, third), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            return false;
        tag = new MessageTag(span[..first].ToString(), number, ticks);
        return true;
    }

    /// <summary>Parses the number out of a clientMsgId made by <see cref="ClientMsgId"/>.</summary>
    public static bool TryParseNumber(string? clientMsgId, out int number)
    {
        number = 0;
        var dot = clientMsgId?.LastIndexOf('.') ?? -1;
        return dot > 0 && int.TryParse(clientMsgId.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
