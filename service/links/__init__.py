"""Links between letters, bodies and pilots: the citation graph, the registry of
bodies, pilot records with suggested directive links, and the trace of a task.

Everything here is rebuilt from a letter's served JSON each time the letter is
stored or corrected (`hooks.letter_stored`), so links never depend on the order
letters arrive in.
"""
