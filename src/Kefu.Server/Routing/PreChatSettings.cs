namespace Kefu.Server.Routing;

/// <summary>
/// A site's pre-chat form, asked before a visitor's first message: name, contact and the team to talk to.
/// Off by default; an admin turns it on per site (<c>PUT /api/v1/sites/{siteKey}/prechat</c>).
/// </summary>
internal sealed record PreChatSettings
{
    public bool Enabled { get; init; }

    public bool AskName { get; init; } = true;

    public bool AskContact { get; init; } = true;

    /// <summary>Whether the form may not be sent without a contact (phone, email, WeChat id).</summary>
    public bool ContactRequired { get; init; }

    /// <summary>Whether the visitor picks the team (when the tenant has more than one).</summary>
    public bool ChooseTeam { get; init; } = true;

    public static string Key(string siteId) => "prechat:" + siteId;
}
