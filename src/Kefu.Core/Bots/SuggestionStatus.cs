namespace Kefu.Core.Bots;

public enum SuggestionStatus
{
    Pending,
    Approved,
    Rejected,
}
