"""Which deliveries one `multiple` ack may settle (chassis/nameko/intake.py, acks_for):
never one still in hand that is not waiting to be acknowledged."""

from chassis.nameko.intake import acks_for


def test_waiting_tags_with_nothing_else_in_hand_go_as_one_multiple_ack():
    assert acks_for({3, 4, 5}, {3, 4, 5}) == (5, [])
    assert acks_for({7}, {7}) == (7, [])


def test_a_delivery_in_hand_below_them_leaves_the_tags_above_it_alone():
    # 4 is a request being answered: the multiple ack stops below it.
    assert acks_for({2, 3, 5, 6}, {2, 3, 4, 5, 6}) == (3, [5, 6])
    assert acks_for({5, 6}, {1, 5, 6}) == (None, [5, 6])


def test_deliveries_in_hand_above_them_do_not_matter():
    assert acks_for({1, 2}, {1, 2, 9, 10}) == (2, [])
