/**
 * The icon names a plugin may give (`IconTypes` of @pexip/components; 16.x to 19.x only
 * ever added names). Kept without the common `Icon` prefix. Their drawings (pexip-icons.ts,
 * the same names: components/plugin-icon.test.ts) load apart, so checking a name costs no download.
 */
const NAMES =
  'Add AddSomeone Adjust Admit AiAssistant Alert AnalyticsChart AnalyticsProgress ' +
  'AndroidLogo AppleLogo ArrowCornerDown ArrowDown ArrowLeft ArrowLeftRegular ArrowRight ' +
  'ArrowUp Authenticated BackToTop BackgroundBlur Backspace Bandwidth Bell Billing Block ' +
  'Bluetooth BreakoutRooms BulletPoint Calendar Chat Checkmark CheckmarkRound ChevronDown ' +
  'ChevronLeft ChevronRight ChevronUp ChromeLogo Clock Close Columns ' +
  'ConnectionIndicatorHigh ConnectionIndicatorLow ConnectionIndicatorMedium ' +
  'ConnectionIndicatorVeryLow Copy Deny DoubleChevronDown DoubleChevronLeft ' +
  'DoubleChevronRight DoubleChevronUp Draggable Dtmf DualScreen Edit Emoji Expand Export ' +
  'Fecc FirefoxLogo FlipCamera FullscreenOff FullscreenOn Generic2 Group Guest Headset ' +
  'HelpRound Home Hospital Host Import InfoRound Key Leave Link LiveCaption LiveStream ' +
  'LiveStreamCloud Location Lock Lowerhand Mail MeetingRoom Meetings MicrophoneMutedByHost ' +
  'MicrophoneOff MicrophoneOn Minus MoreHorizontal MoreVertical Move Notauthenticated ' +
  'OpenInNew Participant PasswordHide PasswordShow Pause Pexip PexipLogo Phone ' +
  'PhoneHorisontal PhoneTalk Pin Play PlayRound Plus PresentationOff PresentationOn ' +
  'RaiseHand Recording Refresh RemoteControl Search Send Settings SettingsMeeting Share ' +
  'Shield Shuffle SpeakerDisabled SpeakerOff SpeakerOn Spotlight Star StopRound Support ' +
  'TestScriptIcon ThumbsDown ThumbsUp Timer Transcript Trash Unlock VideoOff VideoOn ' +
  'VideoSystems Waiting Warning WarningRound';

export const ICON_NAMES: ReadonlySet<string> = new Set(NAMES.split(' ').map((name) => `Icon${name}`));
