namespace Kefu.Core.Bots;

/// <summary>
/// What a quick-reply button means, independent of its words: a short token of letters, digits and <c>. _ : -</c>
/// (at most <see cref="MaxLength"/> characters). A client echoes it in the visitor's send as <c>meta.quickReply</c>;
/// anything else there is dropped, so it is an identifier to compare, never trusted text.
/// </summary>
public static class QuickReplyPayload
{
    public const int MaxLength = 64;

    /// <summary>The bot's "talk to a person" button.</summary>
    public const string Handoff = "handoff";

    public static bool IsValid(string? payload)
    {
        if (string.IsNullOrEmpty(payload) || payload.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in payload)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or ':' or '-'))
            {
                return false;
            }
        }
        return true;
    }
}
