"""会議: 会議体, meetings, attendance, agenda and materials, minutes, action items, calendar.

One module per use-case group; the UI and the command line call the decorated
service functions and get plain dataclasses back.
"""
